output "kafka_topic_names" {
  description = "Names of the topics (known at plan time: they are the keys of the topic map)."
  value       = [for name, topic in kafka_topic.this : name]
}
