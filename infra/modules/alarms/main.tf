# The ops topic: every alarm of the stage notifies it, when it fires and
# when it clears.
resource "aws_sns_topic" "this" {
  name              = var.name
  kms_master_key_id = var.kms_master_key_id
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "this" {
  for_each = toset(var.email_endpoints)

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = each.value
}

locals {
  # MSK Serverless publishes per-topic and per-consumer-group metrics under
  # the dimension "Cluster Name" (with a space).
  dead_letter = {
    for topic in var.dead_letter_topics : "dead-letter-${topic}" => {
      description = "Records reached the dead-letter topic ${topic}: a consumer gave up on them."
      namespace   = "AWS/Kafka"
      metric      = "MessagesInPerSec"
      statistic   = "Sum"
      threshold   = 0
      period      = 60
      dimensions  = { "Cluster Name" = var.kafka_cluster_name, Topic = topic }
    }
  }

  consumer_lag = {
    for group, topic in var.consumer_groups : "consumer-lag-${group}" => {
      description = "Consumer group ${group} is more than ${var.consumer_lag_seconds} s behind on ${topic}."
      namespace   = "AWS/Kafka"
      metric      = "EstimatedMaxTimeLag"
      statistic   = "Maximum"
      threshold   = var.consumer_lag_seconds
      period      = 60
      dimensions  = { "Cluster Name" = var.kafka_cluster_name, "Consumer Group" = group, Topic = topic }
    }
  }

  api = {
    "http-api-5xx" = {
      description = "The HTTP API answered 5xx."
      namespace   = "AWS/ApiGateway"
      metric      = "5xx"
      statistic   = "Sum"
      threshold   = var.api_5xx_threshold
      period      = 300
      dimensions  = { ApiId = var.http_api_id, Stage = "$default" }
    }
  }

  # Transactions the timeout step rejected for exceeding their SLA (a
  # Powertools metric, dimension service). A function that hits its own
  # timeout shows up as a 5xx (API) or, after the retries, a dead letter.
  timeouts = {
    "transaction-timeouts" = {
      description = "Transactions were rejected for exceeding their SLA."
      namespace   = "mxflow"
      metric      = var.timeout_metric_name
      statistic   = "Sum"
      threshold   = 0
      period      = 300
      dimensions  = { service = var.timeout_service_name }
    }
  }

  alarms = merge(local.dead_letter, local.consumer_lag, local.api, local.timeouts)
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  dimensions          = each.value.dimensions
  period              = each.value.period
  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]
  tags                = var.tags
}
