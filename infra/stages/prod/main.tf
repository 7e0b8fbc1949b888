terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40"
    }
    kafka = {
      source  = "Mongey/kafka"
      version = ">= 0.7"
    }
  }

  backend "s3" {
    key          = "mxflow/prod/terraform.tfstate"
    use_lockfile = true
  }
}

variable "region" {
  description = "AWS region of the stage."
  type        = string
  default     = "eu-west-1"
}

variable "kafka_bootstrap_servers" {
  description = "MSK bootstrap brokers (IAM, port 9098) used to create the topics."
  type        = list(string)
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

provider "kafka" {
  bootstrap_servers = var.kafka_bootstrap_servers
  tls_enabled       = true
  sasl_mechanism    = "aws-iam"
  sasl_aws_region   = var.region
}

module "platform" {
  source = "../../platform"

  name_prefix              = "mxflow-prod"
  stage                    = "prod"
  archive_retention_days   = 3650
  kafka_replication_factor = 3
}
