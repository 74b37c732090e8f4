import { Check } from './Check.js';
import { mountMember } from './Layout.js';

mountMember(() => <Check />);
