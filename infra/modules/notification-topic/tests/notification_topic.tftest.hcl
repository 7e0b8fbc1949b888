# The participants' notification topic is encrypted with the given key.

mock_provider "aws" {}

variables {
  name              = "mxflow-test-notifications"
  kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000003"
}

run "encrypts_with_the_key" {
  assert {
    condition     = aws_sns_topic.this.kms_master_key_id == var.kms_master_key_id
    error_message = "The topic is not encrypted with the given key."
  }
}

run "is_encrypted_by_default_too" {
  variables {
    kms_master_key_id = "alias/aws/sns"
  }

  assert {
    condition     = aws_sns_topic.this.kms_master_key_id != null && aws_sns_topic.this.kms_master_key_id != ""
    error_message = "The topic is not encrypted."
  }
}
