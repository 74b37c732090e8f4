import { render } from 'preact';
import { startWithMemberLanguage } from '../components/MemberRoot.js';
import { Statistics } from './Statistics.js';

const el = document.getElementById('app');
if (el) {
  startWithMemberLanguage(
    () => <Statistics />,
    (tree) => {
      el.replaceChildren();
      render(<>{tree}</>, el);
    },
  );
}
