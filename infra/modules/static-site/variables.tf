variable "create" {
  description = "Whether the site exists."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the site's CloudFront resources (policies, origin access control, log delivery), e.g. mxflow-prod-console."
  type        = string
}

variable "bucket" {
  description = "Name of the private bucket holding the site's files."
  type        = string
}

variable "connect_src" {
  description = "Origins the site's scripts may call (the Content-Security-Policy's connect-src besides 'self'): the API and the Cognito domain, e.g. https://api.example.com."
  type        = list(string)
}

variable "form_action" {
  description = "Origins forms of the site may post to besides 'self' (the Cognito domain, for the hosted UI's sign-out)."
  type        = list(string)
  default     = []
}

variable "domain_name" {
  description = "Custom domain of the site, or null for the distribution's *.cloudfront.net name only."
  type        = string
  default     = null
}

variable "certificate_arn" {
  description = "ACM certificate of domain_name; CloudFront takes certificates from us-east-1 only."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:us-east-1:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate in us-east-1."
  }
}

variable "price_class" {
  description = "CloudFront price class: which edge locations serve the site."
  type        = string
  default     = "PriceClass_100"
}

variable "web_acl_id" {
  description = "ARN of a WAF web ACL (scope CLOUDFRONT) in front of the site, or null for none."
  type        = string
  default     = null
}

variable "access_log_destination" {
  description = "Where CloudFront's standard logs (v2) go: the ARN of a bucket whose policy admits the log delivery service, and a key prefix; null for no logs."
  type = object({
    bucket_arn = string
    prefix     = string
  })
  default = null
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced or deleted file is kept as a noncurrent version (a rollback is a copy of the old version)."
  type        = number
  default     = 30
}

variable "force_destroy" {
  description = "Whether Terraform may delete the bucket with the site's files (they are rebuilt from the repository)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
