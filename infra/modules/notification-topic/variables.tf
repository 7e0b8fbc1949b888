variable "name" {
  description = "Topic name."
  type        = string
}

variable "kms_master_key_id" {
  description = "KMS key for encryption at rest."
  type        = string
  default     = "alias/aws/sns"
}

variable "https_retries" {
  description = "Delivery attempts to an HTTPS endpoint before SNS gives up on a notification."
  type        = number
  default     = 60
}

variable "max_receives_per_second" {
  description = "Most deliveries per second to one HTTPS subscriber."
  type        = number
  default     = 50
}

variable "subscriptions" {
  description = "Subscriptions by key: protocol (email or https), endpoint, and the entity id whose notifications it receives."
  type = map(object({
    protocol  = string
    endpoint  = string
    entity_id = string
  }))
  default = {}

  validation {
    condition     = alltrue([for subscription in values(var.subscriptions) : contains(["email", "https"], subscription.protocol)])
    error_message = "A subscription's protocol is email or https."
  }
}

variable "tags" {
  description = "Tags for the topic."
  type        = map(string)
  default     = {}
}
