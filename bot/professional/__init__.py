"""What only signed-in professionals can do: send a service's details to a client."""
