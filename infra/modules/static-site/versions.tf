terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70"
      # CloudFront's standard logs (v2) are configured through CloudWatch Logs
      # in us-east-1 only, whatever the region of the rest of the stage.
      configuration_aliases = [aws.us_east_1]
    }
  }
}
