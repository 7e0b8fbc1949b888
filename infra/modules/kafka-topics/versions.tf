terraform {
  required_version = ">= 1.6"

  required_providers {
    kafka = {
      source  = "Mongey/kafka"
      version = ">= 0.7"
    }
  }
}
