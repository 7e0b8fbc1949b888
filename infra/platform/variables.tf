variable "name_prefix" {
  description = "Prefix of every resource name, e.g. mxflow-prod."
  type        = string
}

variable "stage" {
  description = "Stage name; SSM parameters live under /mxflow/<stage>/."
  type        = string
}

variable "archive_retention_days" {
  description = "Object Lock retention of archived messages, in days."
  type        = number
  default     = 3650
}

variable "kafka_replication_factor" {
  description = "Replicas per Kafka partition."
  type        = number
  default     = 3
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "region" {
  description = "Region of the stage: every resource, SSM parameter and service lives there."
  type        = string
}

variable "availability_zones" {
  description = "Availability zones of the private subnets (at least two, for MSK Serverless)."
  type        = list(string)
}

variable "vpc_cidr_block" {
  description = "CIDR block of the stage's VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "kafka_topics_function_zip" {
  description = "Path of the Kafka topic function's zip, built by pnpm package (packages/kafka-topics/dist/kafka-topics.zip)."
  type        = string
}

variable "participants" {
  description = "Participants by entity id: their name (what the console shows), their app client names (a secret rotates by adding a client and later removing the old one), the scopes (read, write, admin) their clients and their console client get, and the e-mail and HTTPS endpoints notified of their messages."
  type = map(object({
    name            = optional(string)
    clients         = list(string)
    scopes          = optional(list(string), ["read", "write"])
    email_endpoints = optional(list(string), [])
    https_endpoints = optional(list(string), [])
  }))
  default = {}

  validation {
    condition     = alltrue([for participant in values(var.participants) : length(participant.scopes) > 0 && alltrue([for scope in participant.scopes : contains(["read", "write", "admin"], scope)])])
    error_message = "A participant's scopes are a non-empty subset of read, write and admin."
  }

  validation {
    condition     = alltrue([for participant in values(var.participants) : !contains(participant.clients, "console")])
    error_message = "A participant's client may not be named console: <entity id>-console is its console client."
  }
}

variable "operator" {
  description = "The platform operator, or null for none: its entity (id, name, BIC; written once, then the admin API's) and its machine clients by name (client_credentials, scopes admin and read, for the CLI and scripts). With the console, it also gets a console client."
  type = object({
    entity_id = string
    name      = string
    bic       = string
    clients   = optional(list(string), [])
  })
  default = null

  validation {
    condition     = var.operator == null || !contains(try(var.operator.clients, []), "console")
    error_message = "An operator's client may not be named console: <entity id>-console is its console client."
  }
}

variable "console_enabled" {
  description = "Whether the operations console is deployed: its site (S3 + CloudFront), its config.json, a console app client per participant and for the operator, and CORS on the HTTP API for its origin."
  type        = bool
  default     = true
}

variable "console_domain_name" {
  description = "Custom domain of the console, or null for the distribution's *.cloudfront.net name."
  type        = string
  default     = null
}

variable "console_certificate_arn" {
  description = "ACM certificate of console_domain_name, in us-east-1 (CloudFront's region)."
  type        = string
  default     = null
}

variable "route_groups" {
  description = "Exposure of each route group (messages: POST /v1/messages…; transactions: the Status API; admin: /v1/admin/…): public (the HTTP API) or private (a REST API reachable only through the VPC's execute-api endpoint). The services read it at deploy time (packages/runtime/serverless/route-exposure.cjs)."
  type        = map(string)
  default = {
    messages     = "public"
    transactions = "public"
    admin        = "public"
  }

  validation {
    condition     = alltrue([for exposure in values(var.route_groups) : contains(["public", "private"], exposure)])
    error_message = "A route group is public or private."
  }

  validation {
    condition     = alltrue([for group in keys(var.route_groups) : contains(["messages", "transactions", "admin"], group)])
    error_message = "The route groups are messages, transactions and admin."
  }
}

variable "api_throttling_rate_limit" {
  description = "Steady-state requests per second the HTTP API accepts across routes."
  type        = number
  default     = 500
}

variable "api_throttling_burst_limit" {
  description = "Request burst the HTTP API accepts across routes."
  type        = number
  default     = 1000
}

variable "api_domain_name" {
  description = "Custom domain of the HTTP API, or null for none."
  type        = string
  default     = null
}

variable "api_certificate_arn" {
  description = "ACM certificate of api_domain_name, in the stage's region."
  type        = string
  default     = null
}

variable "ops_email_endpoints" {
  description = "E-mail addresses notified of every alarm."
  type        = list(string)
  default     = []
}

variable "consumer_groups" {
  description = "Kafka consumer groups of the services (consumerGroupId of their msk events), each with its topic, watched for lag."
  type        = map(string)
  default = {
    "pacs008"          = "incoming.pacs.008"
    "pacs004"          = "incoming.pacs.004"
    "camt056"          = "incoming.camt.056"
    "pacs028"          = "incoming.pacs.028"
    "pain001"          = "incoming.pain.001"
    "camt060"          = "incoming.camt.060"
    "pain013"          = "incoming.pain.013"
    "pain014"          = "incoming.pain.014"
    "pain001-report"   = "outgoing.pacs.002"
    "outgoing-pacs002" = "outgoing.pacs.002"
    "outgoing-pacs008" = "outgoing.pacs.008"
    "outgoing-camt029" = "outgoing.camt.029"
    "outgoing-pacs004" = "outgoing.pacs.004"
    "outgoing-pain002" = "outgoing.pain.002"
    "outgoing-camt052" = "outgoing.camt.052"
    "outgoing-camt053" = "outgoing.camt.053"
    "outgoing-camt054" = "outgoing.camt.054"
    "camt054"          = "outgoing.pacs.002"
    "outgoing-pain013" = "outgoing.pain.013"
    "outgoing-pain014" = "outgoing.pain.014"
  }
}
