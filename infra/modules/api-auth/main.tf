# Machine-to-machine only: participants authenticate with the
# client_credentials grant; no user ever signs in to this pool.
resource "aws_cognito_user_pool" "this" {
  name                = var.name
  deletion_protection = "ACTIVE"

  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  tags = var.tags
}

resource "aws_cognito_user_pool_domain" "this" {
  domain       = var.domain
  user_pool_id = aws_cognito_user_pool.this.id
}

resource "aws_cognito_resource_server" "this" {
  identifier   = var.resource_server_identifier
  name         = var.resource_server_name
  user_pool_id = aws_cognito_user_pool.this.id

  dynamic "scope" {
    for_each = var.scopes
    content {
      scope_name        = scope.value.name
      scope_description = scope.value.description
    }
  }
}

# One confidential client per participant credential. A client's secret
# cannot be replaced in place, so a participant rotates by holding two
# clients for a while (see docs/deploy.md).
resource "aws_cognito_user_pool_client" "this" {
  for_each = var.clients

  name                                 = each.key
  user_pool_id                         = aws_cognito_user_pool.this.id
  generate_secret                      = true
  allowed_oauth_flows                  = ["client_credentials"]
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_scopes                 = [for scope in each.value.scopes : "${aws_cognito_resource_server.this.identifier}/${scope}"]
  supported_identity_providers         = ["COGNITO"]
  enable_token_revocation              = true
  access_token_validity                = var.access_token_validity_minutes

  token_validity_units {
    access_token = "minutes"
  }
}
