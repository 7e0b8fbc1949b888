export { paymentXml, type PaymentSpec } from './payment';
export { call, submit, waitForFinal, type Answer } from './client';
export { cancellationXml, initiationXml, returnXml, statusRequestXml, type OriginalIds, type Carried } from './post-transactional';
export { probeDeadLetter } from './dead-letters';
export { mxflow, randomLetters, type CommandRun } from './mxflow';
