import { mountMember } from './Layout.js';
import { Settings } from './Settings.js';

mountMember(() => <Settings />);
