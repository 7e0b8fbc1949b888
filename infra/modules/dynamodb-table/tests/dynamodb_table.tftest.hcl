# Every table is encrypted with a customer-managed key, recovers to any point
# in time and is protected from deletion.

mock_provider "aws" {}

variables {
  name        = "mxflow-test-table"
  hash_key    = "id"
  attributes  = [{ name = "id", type = "S" }]
  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000002"
}

run "encrypts_with_the_key_and_keeps_point_in_time_recovery" {
  assert {
    condition     = aws_dynamodb_table.this.server_side_encryption[0].enabled && aws_dynamodb_table.this.server_side_encryption[0].kms_key_arn == var.kms_key_arn
    error_message = "The table is not encrypted with the given key."
  }
  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled
    error_message = "Point-in-time recovery is off by default."
  }
  assert {
    condition     = aws_dynamodb_table.this.deletion_protection_enabled
    error_message = "Deletion protection is off by default."
  }
}

run "refuses_a_table_without_a_customer_managed_key" {
  command = plan

  variables {
    kms_key_arn = null
  }

  expect_failures = [var.kms_key_arn]
}
