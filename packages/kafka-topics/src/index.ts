export { applyTopicMap, topicSpecs, TopicMapError, type TopicMapEntry, type TopicMapEvent } from './topics';
export { buildTopicFunction, functionZipPath, type BuiltFunction } from './build';
