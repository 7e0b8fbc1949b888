# HTTPS deliveries retry with exponential backoff (about 15 minutes in all)
# before SNS gives up;
# subscribers get at most max_receives_per_second each.
resource "aws_sns_topic" "this" {
  name              = var.name
  kms_master_key_id = var.kms_master_key_id
  delivery_policy = jsonencode({
    http = {
      defaultHealthyRetryPolicy = {
        minDelayTarget     = 1
        maxDelayTarget     = 60
        numRetries         = var.https_retries
        numMaxDelayRetries = 0
        numNoDelayRetries  = 0
        numMinDelayRetries = 3
        backoffFunction    = "exponential"
      }
      disableSubscriptionOverrides = false
      defaultThrottlePolicy = {
        maxReceivesPerSecond = var.max_receives_per_second
      }
      defaultRequestPolicy = {
        headerContentType = "application/json"
      }
    }
  })
  tags = var.tags
}

# One subscription per endpoint; each receives only the notifications of its
# participant, matched on the entityId message attribute.
resource "aws_sns_topic_subscription" "this" {
  for_each = var.subscriptions

  topic_arn              = aws_sns_topic.this.arn
  protocol               = each.value.protocol
  endpoint               = each.value.endpoint
  filter_policy_scope    = "MessageAttributes"
  filter_policy          = jsonencode({ entityId = [each.value.entity_id] })
  endpoint_auto_confirms = false
}
