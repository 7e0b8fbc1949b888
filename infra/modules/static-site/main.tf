# A single-page application served by CloudFront from a private bucket. Only
# the distribution reads the bucket (origin access control, SigV4); browsers
# never reach S3.

resource "aws_s3_bucket" "this" {
  count = var.create ? 1 : 0

  bucket        = var.bucket
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  count = var.create ? 1 : 0

  bucket                  = aws_s3_bucket.this[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-S3, deliberately not SSE-KMS. Every file here is served to any browser
# that asks, so a customer-managed key protects nothing the distribution does
# not hand out anyway; and with SSE-KMS, CloudFront's origin access control
# can read an object only if the key policy lets cloudfront.amazonaws.com
# call kms:Decrypt on the condition AWS:SourceArn = this distribution, a
# statement the key (made before the distribution) would have to learn after
# it. SSE-S3 needs no grant and keeps the key out of the request path.
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# A deploy replaces files; the versions it replaced stay a while for a rollback.
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    id     = "expire-replaced-files"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.this[0]]
}

# The distribution reads objects, and only this distribution: the condition
# on AWS:SourceArn keeps every other CloudFront distribution (of any account)
# out. Every request must come over TLS.
data "aws_iam_policy_document" "this" {
  count = var.create ? 1 : 0

  statement {
    sid       = "AllowCloudFrontOriginAccessControl"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.this[0].arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.this[0].arn]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this[0].arn, "${aws_s3_bucket.this[0].arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id
  policy = data.aws_iam_policy_document.this[0].json

  depends_on = [aws_s3_bucket_public_access_block.this[0]]
}

resource "aws_cloudfront_origin_access_control" "this" {
  count = var.create ? 1 : 0

  name                              = var.name
  description                       = "CloudFront reads ${var.bucket} with SigV4"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

locals {
  # No inline script or style: Vite emits both as files under assets/.
  content_security_policy = join("; ", [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src ${join(" ", concat(["'self'"], var.connect_src))}",
    "form-action ${join(" ", concat(["'self'"], var.form_action))}",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ])

  origin_id = "s3-${var.bucket}"
}

resource "aws_cloudfront_response_headers_policy" "this" {
  count = var.create ? 1 : 0

  name    = var.name
  comment = "Security headers of ${var.name}"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      preload                    = false
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }

    content_security_policy {
      content_security_policy = local.content_security_policy
      override                = true
    }
  }
}

# Two cache policies. "revalidate" serves index.html, config.json and any
# other unhashed path: the deploy uploads them with Cache-Control: no-cache,
# which the zero minimum and default TTLs honour, and at most a minute of
# caching applies even if a file lacks the header. "immutable" serves
# assets/*, whose names carry a content hash, for a year.
resource "aws_cloudfront_cache_policy" "this" {
  for_each = var.create ? {
    revalidate = { default_ttl = 0, max_ttl = 60 }
    immutable  = { default_ttl = 31536000, max_ttl = 31536000 }
  } : {}

  name        = "${var.name}-${each.key}"
  comment     = "${var.name}: ${each.key}"
  min_ttl     = 0
  default_ttl = each.value.default_ttl
  max_ttl     = each.value.max_ttl

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = true
    enable_accept_encoding_gzip   = true

    cookies_config {
      cookie_behavior = "none"
    }

    headers_config {
      header_behavior = "none"
    }

    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_cloudfront_distribution" "this" {
  count = var.create ? 1 : 0

  enabled             = true
  comment             = var.name
  default_root_object = "index.html"
  aliases             = var.domain_name == null ? [] : [var.domain_name]
  price_class         = var.price_class
  http_version        = "http2and3"
  is_ipv6_enabled     = true
  web_acl_id          = var.web_acl_id
  tags                = var.tags

  origin {
    origin_id                = local.origin_id
    domain_name              = aws_s3_bucket.this[0].bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this[0].id
  }

  default_cache_behavior {
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = aws_cloudfront_cache_policy.this["revalidate"].id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.this[0].id
  }

  ordered_cache_behavior {
    path_pattern               = "assets/*"
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = aws_cloudfront_cache_policy.this["immutable"].id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.this[0].id
  }

  # The console routes in the browser: a path that is no file (S3 answers 403
  # to the distribution, which may not list the bucket) gets index.html.
  dynamic "custom_error_response" {
    for_each = [403, 404]
    content {
      error_code            = custom_error_response.value
      response_code         = 200
      response_page_path    = "/index.html"
      error_caching_min_ttl = 0
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  # TLS 1.2 or later holds with a custom domain (its certificate and security
  # policy are ours). On the default *.cloudfront.net certificate CloudFront
  # fixes the policy itself and still accepts TLS 1.0 and 1.1, which is one
  # reason a production stage should set domain_name.
  viewer_certificate {
    cloudfront_default_certificate = var.domain_name == null
    acm_certificate_arn            = var.domain_name == null ? null : var.certificate_arn
    ssl_support_method             = var.domain_name == null ? null : "sni-only"
    minimum_protocol_version       = var.domain_name == null ? "TLSv1" : "TLSv1.2_2021"
  }

  lifecycle {
    precondition {
      condition     = (var.domain_name == null) == (var.certificate_arn == null)
      error_message = "domain_name and certificate_arn are set together (the certificate in us-east-1) or not at all."
    }
  }
}

# Standard logs (v2): CloudWatch Logs delivers them to the log bucket. The
# legacy logging_config of the distribution would need ACLs on that bucket,
# which its owner-enforced object ownership switches off.
resource "aws_cloudwatch_log_delivery_source" "this" {
  count    = var.create && var.access_log_destination != null ? 1 : 0
  provider = aws.us_east_1

  name         = "${var.name}-cloudfront"
  log_type     = "ACCESS_LOGS"
  resource_arn = aws_cloudfront_distribution.this[0].arn
  tags         = var.tags
}

resource "aws_cloudwatch_log_delivery_destination" "this" {
  count    = var.create && var.access_log_destination != null ? 1 : 0
  provider = aws.us_east_1

  name          = "${var.name}-cloudfront-s3"
  output_format = "w3c"
  tags          = var.tags

  delivery_destination_configuration {
    destination_resource_arn = "${var.access_log_destination.bucket_arn}/${var.access_log_destination.prefix}"
  }
}

resource "aws_cloudwatch_log_delivery" "this" {
  count    = var.create && var.access_log_destination != null ? 1 : 0
  provider = aws.us_east_1

  delivery_source_name     = aws_cloudwatch_log_delivery_source.this[0].name
  delivery_destination_arn = aws_cloudwatch_log_delivery_destination.this[0].arn
  tags                     = var.tags
}
