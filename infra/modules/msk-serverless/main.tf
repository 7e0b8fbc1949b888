# MSK Serverless accepts only IAM authentication and TLS; data at rest is
# always encrypted (by a key MSK owns: Serverless offers no customer key).
resource "aws_msk_serverless_cluster" "this" {
  cluster_name = var.name

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }

  client_authentication {
    sasl {
      iam {
        enabled = true
      }
    }
  }

  tags = var.tags
}
