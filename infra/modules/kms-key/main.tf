data "aws_caller_identity" "this" {}

data "aws_partition" "this" {}

locals {
  account_id = data.aws_caller_identity.this.account_id
  partition  = data.aws_partition.this.partition
}

# In a key policy, Resource "*" means the key the policy is attached to; AWS
# accepts no other value there. Each statement below is therefore an
# exception to the no-wildcard rule, limited by its principal and conditions.
data "aws_iam_policy_document" "this" {
  # The account administers the key through IAM; without this statement a
  # key whose other principals are deleted could never be managed again.
  statement {
    sid       = "AccountAdministersKey"
    actions   = ["kms:*"]
    resources = ["*"] # key policy: the key itself

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # Principals of this account may use the key only through the listed
  # services (DynamoDB, S3, SNS), which call KMS on their behalf.
  dynamic "statement" {
    for_each = length(var.via_services) == 0 ? [] : [var.via_services]
    content {
      sid       = "UseThroughServices"
      actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"]
      resources = ["*"] # key policy: the key itself

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:CallerAccount"
        values   = [local.account_id]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [for service in statement.value : "${service}.${var.region}.amazonaws.com"]
      }
    }
  }

  # AWS services that publish to an encrypted topic on their own behalf
  # (CloudWatch alarms): SNS asks them for a data key and decrypts with it.
  dynamic "statement" {
    for_each = length(var.service_principals) == 0 ? [] : [var.service_principals]
    content {
      sid       = "ServicesPublishEncrypted"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
      resources = ["*"] # key policy: the key itself

      principals {
        type        = "Service"
        identifiers = statement.value
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  rotation_period_in_days = var.rotation_period_in_days
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.this.json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
