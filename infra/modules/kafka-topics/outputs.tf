output "kafka_topic_names" {
  description = "Names of the topics."
  value       = [for topic in kafka_topic.this : topic.name]
}
