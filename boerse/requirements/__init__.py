"""Requirements of opportunities (qualifications, the extended certificate of conduct) and
the records that show a person meets them."""
