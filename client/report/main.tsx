import { mount } from '../components/App.js';
import { Layout } from '../components/Layout.js';
import { ReportWizard } from './Wizard.js';

mount(() => (
  <Layout page="report">
    <ReportWizard />
  </Layout>
));
