import { mountMember } from './Layout.js';
import { Login } from './Login.js';

mountMember(() => <Login />);
