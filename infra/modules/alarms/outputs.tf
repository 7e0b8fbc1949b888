output "sns_topic_arn" {
  description = "ARN of the ops topic."
  value       = aws_sns_topic.this.arn
}

output "cloudwatch_metric_alarm_names" {
  description = "Names of the alarms."
  value       = [for alarm in aws_cloudwatch_metric_alarm.this : alarm.alarm_name]
}
