# The archive is write-once: Object Lock in COMPLIANCE mode, SSE-KMS with the
# customer-managed key, and a policy that denies overwrites and every delete.

mock_provider "aws" {
  # The policy document's JSON is what the provider would render; the
  # assertions read the statements themselves.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  bucket         = "mxflow-test-archive"
  retention_days = 3650
  kms_key_arn    = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000001"
}

run "locks_every_version_in_compliance_mode" {
  assert {
    condition     = aws_s3_bucket.this.object_lock_enabled
    error_message = "Object Lock is off."
  }
  assert {
    condition     = one(aws_s3_bucket_object_lock_configuration.this.rule).default_retention[0].mode == "COMPLIANCE"
    error_message = "The default retention is not COMPLIANCE."
  }
  assert {
    condition     = one(aws_s3_bucket_object_lock_configuration.this.rule).default_retention[0].days == 3650
    error_message = "The default retention is not the given number of days."
  }
  assert {
    condition     = one(aws_s3_bucket_versioning.this.versioning_configuration).status == "Enabled"
    error_message = "Versioning is off."
  }
  assert {
    condition     = !aws_s3_bucket.this.force_destroy
    error_message = "The archive may be force-destroyed."
  }
}

run "denies_every_delete_and_every_overwrite" {
  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.this.statement :
      statement.effect == "Deny" && contains(statement.actions, "s3:DeleteObject*") && one(statement.principals).type == "*" && length(statement.condition) == 0
    ])
    error_message = "No unconditional Deny of s3:DeleteObject* for everyone."
  }
  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.this.statement :
      statement.effect == "Deny" && contains(statement.actions, "s3:PutObject") && anytrue([
        for condition in statement.condition : condition.test == "Null" && condition.variable == "s3:if-none-match" && contains(condition.values, "true")
      ])
    ])
    error_message = "PutObject without If-None-Match is not denied."
  }
  assert {
    condition     = !anytrue([for statement in data.aws_iam_policy_document.this.statement : statement.effect == "Allow"])
    error_message = "The archive's bucket policy allows something; it should only deny."
  }
}

run "encrypts_with_the_customer_managed_key" {
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms"
    error_message = "The archive is not encrypted with SSE-KMS."
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == var.kms_key_arn
    error_message = "The archive is not encrypted with the given key."
  }
}

run "refuses_an_archive_without_a_customer_managed_key" {
  command = plan

  variables {
    kms_key_arn = null
  }

  expect_failures = [var.kms_key_arn]
}

run "refuses_an_unknown_retention_mode" {
  command = plan

  variables {
    retention_mode = "NONE"
  }

  expect_failures = [var.retention_mode]
}
