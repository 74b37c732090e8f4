import { mountMember } from './Layout.js';
import { Join } from './Join.js';

mountMember(() => <Join />);
