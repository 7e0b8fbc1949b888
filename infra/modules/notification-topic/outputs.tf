output "sns_topic_arn" {
  description = "ARN of the topic."
  value       = aws_sns_topic.this.arn
}

output "sns_topic_name" {
  description = "Name of the topic."
  value       = aws_sns_topic.this.name
}

output "sns_topic_subscription_arns" {
  description = "Subscription ARNs by key (pending confirmation until the endpoint confirms)."
  value       = { for key, subscription in aws_sns_topic_subscription.this : key => subscription.arn }
}
