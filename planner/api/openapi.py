"""The OpenAPI 3.0 document for /api/v1. Request body schemas here are also what the API
validates bodies against (planner.api.routes), so the document and the code cannot drift."""

from __future__ import annotations

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "message"],
            "properties": {
                "status": {"type": "integer"},
                "message": {"type": "string"},
                "field": {"type": "string", "nullable": True},
            },
        }
    },
}

RATING_IN = {
    "type": "object",
    "required": ["capability", "level"],
    "additionalProperties": False,
    "properties": {
        "capability": {"type": "string", "minLength": 1, "maxLength": 64},
        "level": {"type": "integer", "minimum": 0, "maximum": 5},
    },
}

ITEM_IN = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "maxLength": 300},
        "training_item": {"type": "string", "maxLength": 64, "nullable": True},
        "kind": {
            "type": "string",
            "enum": ["training", "mentoring", "secondment", "reflection", "shadowing", "other"],
        },
        "role": {"type": "string", "maxLength": 64, "nullable": True},
        "due": {"type": "string", "format": "date", "nullable": True},
    },
}

ITEM_PATCH = {
    "type": "object",
    "required": ["status"],
    "additionalProperties": False,
    "properties": {"status": {"type": "string", "enum": ["planned", "done"]}},
}

ROLE = {
    "type": "object",
    "required": ["slug", "title", "track", "stage", "positional"],
    "properties": {
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "track": {"type": "string"},
        "stage": {"type": "integer"},
        "positional": {"type": "boolean"},
    },
}

ITEM = {
    "type": "object",
    "required": ["id", "kind", "title", "status", "owner"],
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string"},
        "training_item": {"type": "string", "nullable": True},
        "title": {"type": "string"},
        "role": {"type": "string", "nullable": True},
        "due": {"type": "string", "format": "date", "nullable": True},
        "status": {"type": "string", "enum": ["planned", "done"]},
        "owner": {"type": "string"},
    },
}

PLAN = {
    "type": "object",
    "required": ["id", "target_role", "route", "framework_version", "shared", "items"],
    "properties": {
        "id": {"type": "integer"},
        "target_role": {"type": "string"},
        "route": {"type": "array", "items": {"type": "string"}},
        "framework_version": {"type": "string"},
        "shared": {"type": "boolean"},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/PlanItem"}},
    },
}

FIGURE = {"type": "integer", "nullable": True, "description": "null: hidden (under 5 people)"}

GRID = {
    "type": "object",
    "required": ["columns", "rows"],
    "properties": {
        "columns": {"type": "array", "items": {"type": "string"}},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["label", "figures"],
                "properties": {
                    "label": {"type": "string"},
                    "size": {"type": "integer", "nullable": True},
                    "figures": {"type": "array", "items": FIGURE},
                },
            },
        },
        "total": {"type": "array", "items": FIGURE, "nullable": True},
    },
}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    words = {
        400: "Bad request: the message names the field",
        401: "No valid token",
        403: "This token's account may not use this",
        404: "Not found (or not yours)",
        409: "Changed at the same time; try again",
        422: "Not valid for this framework",
    }
    return {str(c): _json({"$ref": "#/components/schemas/Error"}, words[c]) for c in codes}


def openapi_document() -> dict:
    secured = [{"bearer": []}]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Pathways API",
            "version": "1",
            "description": "Career pathways in social work. Every call needs a personal token "
            "(made on the 'My data' page): 'Authorization: Bearer pw_...'.",
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": ERROR,
                "RatingIn": RATING_IN,
                "PlanItemIn": ITEM_IN,
                "PlanItemPatch": ITEM_PATCH,
                "Role": ROLE,
                "PlanItem": ITEM,
                "Plan": PLAN,
                "Grid": GRID,
            },
        },
        "security": secured,
        "paths": {
            "/framework": {
                "get": {
                    "summary": "The current framework: capabilities, levels, tracks, stages",
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["id", "title", "version", "capabilities", "levels"],
                                "properties": {
                                    "id": {"type": "string"},
                                    "title": {"type": "string"},
                                    "version": {"type": "string"},
                                    "capabilities": {"type": "array", "items": {"type": "object"}},
                                    "levels": {"type": "array", "items": {"type": "object"}},
                                    "tracks": {"type": "array", "items": {"type": "object"}},
                                    "stages": {"type": "array", "items": {"type": "object"}},
                                },
                            }
                        ),
                        **_errors(401),
                    },
                }
            },
            "/roles": {
                "get": {
                    "summary": "Every role",
                    "responses": {
                        "200": _json(
                            {"type": "array", "items": {"$ref": "#/components/schemas/Role"}}
                        ),
                        **_errors(401),
                    },
                }
            },
            "/roles/{slug}": {
                "get": {
                    "summary": "One role: requirements, training, moves in and out, sources",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Role"}),
                        **_errors(401, 404),
                    },
                }
            },
            "/routes": {
                "get": {
                    "summary": "Routes from a role (default: yours) to a target, with gaps and "
                    "training for you",
                    "parameters": [
                        {
                            "name": "to",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {"name": "from", "in": "query", "schema": {"type": "string"}},
                        {
                            "name": "k",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 5},
                        },
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["roles", "years", "steps"],
                                    "properties": {
                                        "roles": {"type": "array", "items": {"type": "string"}},
                                        "years": {"type": "number"},
                                        "gap_count": {
                                            "type": "integer",
                                            "description": "distinct capabilities to develop "
                                            "on the route, each counted once",
                                        },
                                        "levels_to_gain": {"type": "integer"},
                                        "capabilities_to_develop": {
                                            "type": "array",
                                            "items": {"type": "object"},
                                        },
                                        "line_management": {
                                            "type": "array",
                                            "items": {"type": "string"},
                                        },
                                        "steps": {"type": "array", "items": {"type": "object"}},
                                    },
                                },
                            }
                        ),
                        **_errors(400, 401, 404, 422),
                    },
                }
            },
            "/me/ratings": {
                "get": {
                    "summary": "Your latest self-ratings",
                    "responses": {
                        "200": _json(
                            {"type": "object", "additionalProperties": {"type": "integer"}}
                        ),
                        **_errors(401),
                    },
                },
                "post": {
                    "summary": "Add a self-rating (kept with its history)",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/RatingIn"}
                            }
                        },
                    },
                    "responses": {
                        "201": _json(
                            {"type": "object", "additionalProperties": {"type": "integer"}},
                            "Saved: your latest ratings",
                        ),
                        **_errors(400, 401),
                    },
                },
            },
            "/me/plans": {
                "get": {
                    "summary": "Your plans and their actions",
                    "responses": {
                        "200": _json(
                            {"type": "array", "items": {"$ref": "#/components/schemas/Plan"}}
                        ),
                        **_errors(401),
                    },
                }
            },
            "/me/plans/{plan_id}/items": {
                "post": {
                    "summary": "Add an action to one of your plans",
                    "parameters": [
                        {
                            "name": "plan_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/PlanItemIn"}
                            }
                        },
                    },
                    "responses": {
                        "201": _json({"$ref": "#/components/schemas/PlanItem"}, "Added"),
                        **_errors(400, 401, 404),
                    },
                }
            },
            "/me/plans/{plan_id}/items/{item_id}": {
                "patch": {
                    "summary": "Mark an action done or not done",
                    "parameters": [
                        {
                            "name": "plan_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                        {
                            "name": "item_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/PlanItemPatch"}
                            }
                        },
                    },
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/PlanItem"}),
                        **_errors(400, 401, 404),
                    },
                }
            },
            "/insight": {
                "get": {
                    "summary": "Organisation aggregates (learning and development tokens only); "
                    "counts under 5 people are null",
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["current_gaps", "next_gaps", "progression"],
                                "properties": {
                                    "staff": {"type": "integer", "nullable": True},
                                    "current_gaps": {"$ref": "#/components/schemas/Grid"},
                                    "next_gaps": {"$ref": "#/components/schemas/Grid"},
                                    "progression": {"$ref": "#/components/schemas/Grid"},
                                    "demand": {"type": "array", "items": {"type": "object"}},
                                },
                            }
                        ),
                        **_errors(401, 403),
                    },
                }
            },
        },
    }
