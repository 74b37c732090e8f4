import { render } from 'preact';
import { Statistics } from './Statistics.js';

const el = document.getElementById('app');
if (el) {
  el.replaceChildren();
  render(<Statistics />, el);
}
