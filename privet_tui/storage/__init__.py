"""Where photos and PDFs live: one `ObjectStore` interface over an S3/MinIO bucket or a local
directory, with the object keys; it knows nothing of rows, services or the UI."""
