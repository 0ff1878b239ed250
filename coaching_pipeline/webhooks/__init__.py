"""The Gong webhook receiver: an ASGI app that authenticates deliveries and stores them for the sensor."""
