"""The signed-in home page: one section per role the user holds."""
