# Participants' systems authenticate with the client_credentials grant
# (confidential clients). People sign in to the operations console through the
# hosted UI (authorization code with PKCE, public clients): only an
# administrator creates them, and they must use a second factor.
resource "aws_cognito_user_pool" "this" {
  name                = var.name
  deletion_protection = "ACTIVE"
  mfa_configuration   = var.mfa_configuration

  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  dynamic "software_token_mfa_configuration" {
    for_each = var.mfa_configuration == "OFF" ? [] : [1]
    content {
      enabled = true
    }
  }

  password_policy {
    minimum_length                   = 14
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 3
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

# One client per participant credential (confidential, client_credentials)
# and one per console sign-in (public, code with PKCE: a browser keeps no
# secret). A client's secret cannot be replaced in place, so a participant
# rotates by holding two clients for a while (see docs/deploy.md).
resource "aws_cognito_user_pool_client" "this" {
  for_each = var.clients

  name                                 = each.key
  user_pool_id                         = aws_cognito_user_pool.this.id
  generate_secret                      = each.value.sign_in == null
  allowed_oauth_flows                  = each.value.sign_in == null ? ["client_credentials"] : ["code"]
  allowed_oauth_flows_user_pool_client = true
  # A person's client also gets openid: the ID token names who signed in.
  allowed_oauth_scopes = concat(
    each.value.sign_in == null ? [] : ["openid"],
    [for scope in each.value.scopes : "${aws_cognito_resource_server.this.identifier}/${scope}"],
  )
  callback_urls                 = each.value.sign_in == null ? null : each.value.sign_in.callback_urls
  logout_urls                   = each.value.sign_in == null ? null : each.value.sign_in.logout_urls
  explicit_auth_flows           = each.value.sign_in == null ? null : ["ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = each.value.sign_in == null ? null : "ENABLED"
  supported_identity_providers  = ["COGNITO"]
  enable_token_revocation       = true
  access_token_validity         = each.value.sign_in == null ? var.access_token_validity_minutes : var.user_access_token_validity_minutes
  id_token_validity             = each.value.sign_in == null ? null : var.user_access_token_validity_minutes
  refresh_token_validity        = each.value.sign_in == null ? null : var.user_refresh_token_validity_hours

  token_validity_units {
    access_token  = "minutes"
    id_token      = each.value.sign_in == null ? null : "minutes"
    refresh_token = each.value.sign_in == null ? null : "hours"
  }
}

# The groups people belong to: one per entity a person may act for in the
# console (see docs/deploy.md for what does and does not enforce them).
resource "aws_cognito_user_group" "this" {
  for_each = var.groups

  name         = each.key
  description  = each.value
  user_pool_id = aws_cognito_user_pool.this.id
}
