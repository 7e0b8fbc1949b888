export * from './dsl';
export { components } from './components';
export { messages, type MessageId } from './messages';
