terraform {
  # The S3 backend locks with use_lockfile, which Terraform has had since 1.10.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70"
    }
  }

  backend "s3" {
    key          = "mxflow/prod/terraform.tfstate"
    use_lockfile = true
  }
}

# The value lives in stage.auto.tfvars.json, which the services' provider
# reads too (packages/runtime/serverless/shared.yml): one region per stage.
variable "region" {
  description = "AWS region of the stage, and of its services."
  type        = string
}

variable "participants" {
  description = "Participants by entity id: name, client names, scopes, notified endpoints (see infra/platform)."
  type = map(object({
    name            = optional(string)
    clients         = list(string)
    scopes          = optional(list(string), ["read", "write"])
    email_endpoints = optional(list(string), [])
    https_endpoints = optional(list(string), [])
  }))
  default = {}
}

variable "operator" {
  description = "The platform operator: entity id, name, BIC and machine client names (see infra/platform), or null."
  type = object({
    entity_id = string
    name      = string
    bic       = string
    clients   = optional(list(string), [])
  })
  default = null
}

variable "console_enabled" {
  description = "Whether the operations console is deployed."
  type        = bool
  default     = true
}

variable "console_domain_name" {
  description = "Custom domain of the operations console, or null for its *.cloudfront.net name."
  type        = string
  default     = null
}

variable "console_certificate_arn" {
  description = "ACM certificate of console_domain_name, in us-east-1."
  type        = string
  default     = null
}

variable "ops_email_endpoints" {
  description = "E-mail addresses notified of every alarm."
  type        = list(string)
  default     = []
}

variable "api_domain_name" {
  description = "Custom domain of the HTTP API, or null for none."
  type        = string
  default     = null
}

variable "api_certificate_arn" {
  description = "ACM certificate of api_domain_name."
  type        = string
  default     = null
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      application = "mxflow"
      stage       = "prod"
    }
  }
}

# CloudFront configures its log delivery in us-east-1 only.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = {
      application = "mxflow"
      stage       = "prod"
    }
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

module "platform" {
  source = "../../platform"
  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name_prefix            = "mxflow-prod"
  stage                  = "prod"
  region                 = var.region
  availability_zones     = slice(data.aws_availability_zones.available.names, 0, 3)
  archive_retention_days = 3650
  # MSK Serverless keeps three replicas of every partition and accepts no other factor.
  kafka_replication_factor = 3
  participants             = var.participants
  ops_email_endpoints      = var.ops_email_endpoints
  api_domain_name          = var.api_domain_name
  api_certificate_arn      = var.api_certificate_arn
  operator                 = var.operator
  # Built by `pnpm package` at the repository's root.
  kafka_topics_function_zip = "${path.root}/../../../packages/kafka-topics/dist/kafka-topics.zip"
  console_enabled           = var.console_enabled
  console_domain_name       = var.console_domain_name
  console_certificate_arn   = var.console_certificate_arn
}

output "platform_http_api_apigatewayv2_api_api_endpoint" {
  description = "Default endpoint of the HTTP API."
  value       = module.platform.http_api_apigatewayv2_api_api_endpoint
}

output "platform_api_auth_cognito_user_pool_client_ids" {
  description = "App client IDs by client name."
  value       = module.platform.api_auth_cognito_user_pool_client_ids
}

output "platform_console_cloudfront_distribution_url" {
  description = "URL of the operations console."
  value       = module.platform.console_cloudfront_distribution_url
}

output "platform_console_s3_bucket_id" {
  description = "Bucket the console's files are uploaded to."
  value       = module.platform.console_s3_bucket_id
}

output "platform_console_cloudfront_distribution_id" {
  description = "Distribution serving the console, for invalidations."
  value       = module.platform.console_cloudfront_distribution_id
}

output "platform_console_cloudfront_distribution_domain_name" {
  description = "The distribution's *.cloudfront.net name: where the console's custom domain points."
  value       = module.platform.console_cloudfront_distribution_domain_name
}

output "platform_kafka_topics_lambda_function_function_name" {
  description = "Name of the function that applies the Kafka topic map (docs/deploy.md: re-run it)."
  value       = module.platform.kafka_topics_lambda_function_function_name
}

output "platform_kafka_topics_lambda_invocation_result" {
  description = "What the topic function did on its last run from Terraform."
  value       = module.platform.kafka_topics_lambda_invocation_result
}
