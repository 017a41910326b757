"""The durable outbox: uploads to the dossier system as jobs in the database."""
