terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70"
      # us-east-1, where CloudFront's log delivery is configured.
      configuration_aliases = [aws.us_east_1]
    }
  }
}
