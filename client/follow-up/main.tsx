import { mount } from '../components/App.js';
import { Layout } from '../components/Layout.js';
import { FollowUp } from './FollowUp.js';

mount(() => (
  <Layout page="follow-up">
    <FollowUp />
  </Layout>
));
