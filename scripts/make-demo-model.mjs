// placeholder: replaced by the demo-model generator
