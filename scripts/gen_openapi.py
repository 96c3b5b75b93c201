#!/usr/bin/env python3
"""Generates a large synthetic OpenAPI 3.0 document for the benchmark.

Usage: gen_openapi.py OUT.yaml [RESOURCES]

Each resource gets a collection and an item path (list, create, read, update,
delete), four component schemas and shared parameters, so the document has the
mix of $refs, arrays and error responses real specs have.
"""
import sys

out = sys.argv[1]
resources = int(sys.argv[2]) if len(sys.argv) > 2 else 400

lines = [
    "openapi: 3.0.3",
    "info:",
    "  title: Generated benchmark API",
    "  version: 1.0.0",
    "servers:",
    "  - url: https://api.example.com/v1",
    "security:",
    "  - bearer: []",
    "paths:",
]
for i in range(resources):
    r = f"res{i}"
    lines += [
        f"  /{r}s:",
        "    get:",
        f"      operationId: list{r}",
        f"      summary: List {r}",
        "      parameters:",
        "        - $ref: '#/components/parameters/Limit'",
        "        - name: q",
        "          in: query",
        "          schema: {type: string}",
        "      responses:",
        "        '200':",
        "          description: ok",
        "          content:",
        "            application/json:",
        "              schema:",
        "                type: object",
        "                properties:",
        "                  items:",
        "                    type: array",
        f"                    items: {{$ref: '#/components/schemas/{r}'}}",
        "                  next: {type: string}",
        "        '400': {$ref: '#/components/responses/Error'}",
        "        '401': {$ref: '#/components/responses/Error'}",
        "    post:",
        f"      operationId: create{r}",
        f"      summary: Create {r}",
        "      requestBody:",
        "        content:",
        "          application/json:",
        f"            schema: {{$ref: '#/components/schemas/{r}Input'}}",
        "      responses:",
        "        '200':",
        "          description: created",
        "        '422': {$ref: '#/components/responses/Error'}",
        f"  /{r}s/{{id}}:",
        "    parameters:",
        "      - name: id",
        "        in: path",
        "        required: true",
        "        schema: {type: string, format: uuid}",
    ]
    for method in ("get", "put", "delete"):
        lines += [
            f"    {method}:",
            f"      operationId: {method}{r}",
            f"      summary: {method} one {r}",
            "      responses:",
            "        '200':",
            "          description: ok",
            "          content:",
            "            application/json:",
            f"              schema: {{$ref: '#/components/schemas/{r}'}}",
            "        '404': {$ref: '#/components/responses/Error'}",
        ]
lines += [
    "components:",
    "  securitySchemes:",
    "    bearer: {type: http, scheme: bearer}",
    "  parameters:",
    "    Limit:",
    "      name: limit",
    "      in: query",
    "      schema: {type: integer, maximum: 100}",
    "  responses:",
    "    Error:",
    "      description: error",
    "      content:",
    "        application/json:",
    "          schema: {$ref: '#/components/schemas/Error'}",
    "  schemas:",
    "    Error:",
    "      type: object",
    "      properties:",
    "        code: {type: string, maxLength: 50}",
    "        message: {type: string, maxLength: 500}",
]
for i in range(resources):
    r = f"res{i}"
    lines += [
        f"    {r}:",
        "      type: object",
        "      description: |",
        f"        A generated resource number {i}, with a description long enough",
        "        to look like the prose real documents carry in their schemas.",
        "      properties:",
    ]
    for j in range(12):
        lines += [
            f"        field{j}:",
            "          type: string",
            f"          description: Field {j} of {r}",
            "          maxLength: 200",
        ]
    lines += [
        f"        owner: {{$ref: '#/components/schemas/{r}Owner'}}",
        f"        audit: {{$ref: '#/components/schemas/{r}Audit'}}",
        f"    {r}Input:",
        "      type: object",
        "      properties:",
        "        name: {type: string}",
        "        tags: {type: array, items: {type: string, maxLength: 20}}",
        "        count: {type: integer}",
        f"    {r}Owner:",
        "      type: object",
        "      properties:",
        "        id: {type: string, format: uuid}",
        "        email: {type: string, format: email}",
        f"    {r}Audit:",
        "      type: object",
        "      properties:",
        "        created: {type: string, format: date-time}",
        "        updated: {type: string, format: date-time}",
    ]

with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
