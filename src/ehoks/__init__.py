"""eHOKS: national repository and digital service for HOKS documents."""

__version__ = "0.1.0"
