# One lag alarm per consumer group, on its topic; the ops topic is encrypted.

mock_provider "aws" {
  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:111122223333:mxflow-test-ops"
    }
  }
}

variables {
  name               = "mxflow-test-ops"
  kms_master_key_id  = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000004"
  kafka_cluster_name = "mxflow-test"
  dead_letter_topics = ["incoming.pacs.008.dlq"]
  consumer_groups = {
    "pacs008"          = "incoming.pacs.008"
    "pain001-report"   = "outgoing.pacs.002"
    "outgoing-pacs002" = "outgoing.pacs.002"
  }
  http_api_id = "abcdef1234"
}

run "watches_every_consumer_group_for_lag" {
  assert {
    condition     = length([for alarm in aws_cloudwatch_metric_alarm.this : alarm if alarm.metric_name == "EstimatedMaxTimeLag"]) == length(var.consumer_groups)
    error_message = "There is not exactly one lag alarm per consumer group."
  }
  assert {
    condition = alltrue([
      for group, topic in var.consumer_groups :
      aws_cloudwatch_metric_alarm.this["consumer-lag-${group}"].dimensions["Consumer Group"] == group &&
      aws_cloudwatch_metric_alarm.this["consumer-lag-${group}"].dimensions["Topic"] == topic &&
      aws_cloudwatch_metric_alarm.this["consumer-lag-${group}"].dimensions["Cluster Name"] == var.kafka_cluster_name
    ])
    error_message = "A lag alarm does not watch its group on its topic."
  }
  assert {
    condition     = alltrue([for alarm in aws_cloudwatch_metric_alarm.this : contains(alarm.alarm_actions, aws_sns_topic.this.arn)])
    error_message = "An alarm does not notify the ops topic."
  }
  assert {
    condition     = aws_sns_topic.this.kms_master_key_id == var.kms_master_key_id
    error_message = "The ops topic is not encrypted with the given key."
  }
}
