import { mountMember } from './Layout.js';
import { Warnings } from './Warnings.js';

mountMember(() => <Warnings />);
