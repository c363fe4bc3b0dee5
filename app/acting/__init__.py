"""Acting for someone (亲属代办): guardians of minors and relatives or carers holding a grant."""
