"""Service halls (政务服务大厅): hall officers' in-person checks and residents' appointments (预约)."""
