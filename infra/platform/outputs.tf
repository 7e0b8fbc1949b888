output "archive_bucket_s3_bucket_id" {
  description = "Name of the archive bucket."
  value       = module.archive_bucket.s3_bucket_id
}

output "notification_topic_sns_topic_arn" {
  description = "ARN of the notification topic."
  value       = module.notification_topic.sns_topic_arn
}

output "ssm_parameter_names" {
  description = "Names of the SSM parameters the services read."
  value       = [for parameter in aws_ssm_parameter.this : parameter.name]
}
