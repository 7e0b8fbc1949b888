// Services list `@mxflow/serverless-offline-msk/plugin`; osls only accepts local plugin
// paths inside the service directory, so the fixture reaches the same entry through here.
export { default } from '../../plugin.js';
