"""Image providers: each turns an ArtRequest into text-free art (see types.ImageProvider)."""
