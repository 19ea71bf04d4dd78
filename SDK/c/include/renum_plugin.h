// placeholder until the ABI lands
