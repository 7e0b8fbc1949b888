variable "name" {
  description = "Name of the ops topic, and prefix of the alarm names."
  type        = string
}

variable "kms_master_key_id" {
  description = "KMS key of the ops topic; its policy must let cloudwatch.amazonaws.com use it."
  type        = string
}

variable "email_endpoints" {
  description = "E-mail addresses notified of every alarm."
  type        = list(string)
  default     = []
}

variable "kafka_cluster_name" {
  description = "Name of the MSK cluster whose metrics the Kafka alarms watch."
  type        = string
}

variable "dead_letter_topics" {
  description = "Dead-letter topics; any record arriving on one raises an alarm."
  type        = list(string)
}

variable "consumer_groups" {
  description = "Consumer groups to watch for lag, each with the topic it reads."
  type        = map(string)
}

variable "consumer_lag_seconds" {
  description = "Lag, in seconds, above which a consumer group raises an alarm."
  type        = number
  default     = 60
}

variable "http_api_id" {
  description = "ID of the HTTP API whose 5xx answers raise an alarm."
  type        = string
}

variable "api_5xx_threshold" {
  description = "5xx answers per five minutes above which the API alarm fires."
  type        = number
  default     = 0
}

variable "timeout_service_name" {
  description = "POWERTOOLS_SERVICE_NAME of the step that rejects transactions exceeding their SLA."
  type        = string
  default     = "timeout"
}

variable "timeout_metric_name" {
  description = "Metric (namespace mxflow) counting transactions rejected for exceeding their SLA."
  type        = string
  default     = "transactionsTimedOut"
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
