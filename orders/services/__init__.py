"""Every write of the order domain. The REST API, the admin and the commands call these."""
