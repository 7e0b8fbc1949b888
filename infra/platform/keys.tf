# Customer-managed keys, rotated yearly: one per kind of data. The data key
# follows AWS's pattern for DynamoDB (principals of the account, through
# DynamoDB only); the archive and messaging keys are used only by principals
# whose IAM policy names them (each function role names its own keys).

module "data_key" {
  source = "../modules/kms-key"

  alias        = "${var.name_prefix}-data"
  description  = "mxflow ${var.stage}: DynamoDB tables"
  region       = var.region
  via_services = ["dynamodb"]
  tags         = var.tags
}

module "archive_key" {
  source = "../modules/kms-key"

  alias       = "${var.name_prefix}-archive"
  description = "mxflow ${var.stage}: the message archive bucket"
  region      = var.region
  tags        = var.tags
}

# CloudWatch alarms publish to the ops topic, which this key encrypts too.
module "messaging_key" {
  source = "../modules/kms-key"

  alias              = "${var.name_prefix}-messaging"
  description        = "mxflow ${var.stage}: notification and ops topics"
  region             = var.region
  service_principals = ["cloudwatch.amazonaws.com"]
  tags               = var.tags
}

# Server access logs of the archive bucket (SSE-S3: log delivery supports no
# KMS key), and the console distribution's standard logs (v2).
module "access_logs" {
  source = "../modules/log-bucket"

  bucket               = "${var.name_prefix}-access-logs"
  source_bucket_arns   = [module.archive_bucket.s3_bucket_arn]
  log_delivery_regions = var.console_enabled ? ["us-east-1"] : []
  tags                 = var.tags
}
