export { paymentXml, type PaymentSpec } from './payment';
export { call, submit, waitForFinal, type Answer } from './client';
