-- One database and one owner per service: no service can read another's tables.
-- Passwords here are for a first start only; see deploy/README.md to change them.
CREATE ROLE tdkt_units LOGIN PASSWORD 'change-me-units';
CREATE ROLE tdkt_campaigns LOGIN PASSWORD 'change-me-campaigns';
CREATE ROLE tdkt_awards LOGIN PASSWORD 'change-me-awards';
CREATE ROLE tdkt_reporting LOGIN PASSWORD 'change-me-reporting';
CREATE DATABASE tdkt_units OWNER tdkt_units ENCODING 'UTF8';
CREATE DATABASE tdkt_campaigns OWNER tdkt_campaigns ENCODING 'UTF8';
CREATE DATABASE tdkt_awards OWNER tdkt_awards ENCODING 'UTF8';
CREATE DATABASE tdkt_reporting OWNER tdkt_reporting ENCODING 'UTF8';
REVOKE ALL ON DATABASE tdkt_units, tdkt_campaigns, tdkt_awards, tdkt_reporting FROM PUBLIC;
