"""Deterministic demo data: a Russian business-software vendor's 24/7 support line.

| module      | what it holds                                                        |
|-------------|----------------------------------------------------------------------|
| `catalog`   | fixed reference data: sites, products, skills, queues, teams, lists   |
| `names`     | Russian and Vietnamese names from Faker, and their Latin spelling     |
| `generator` | pure, seeded generation of staff and agents                           |
| `customer_records` | pure, seeded generation of customers, their phones and INNs    |
| `seed`      | `seed_demo`: writes what is missing, in bulk, and reports the logins  |

The same seed gives the same data; a bigger run only adds rows. Code and tests win when
they disagree with this table.
"""
